/*
 * The division tables from data/ compiled into the program, so that an installed binary needs
 * no data directory. CMake puts data/ on the include path of this file. Each table is bounded
 * by a start and an end symbol; the text is not NUL-terminated.
 */
    .section .rodata
    .balign 16

    .global baoxue_provinces_csv_start
    .global baoxue_provinces_csv_end
baoxue_provinces_csv_start:
    .incbin "provinces.csv"
baoxue_provinces_csv_end:

    .global baoxue_cities_csv_start
    .global baoxue_cities_csv_end
baoxue_cities_csv_start:
    .incbin "cities.csv"
baoxue_cities_csv_end:

    .global baoxue_areas_csv_start
    .global baoxue_areas_csv_end
baoxue_areas_csv_start:
    .incbin "areas.csv"
baoxue_areas_csv_end:

    .global baoxue_streets_csv_start
    .global baoxue_streets_csv_end
baoxue_streets_csv_start:
    .incbin "streets.csv"
baoxue_streets_csv_end:

    .section .note.GNU-stack,"",@progbits
